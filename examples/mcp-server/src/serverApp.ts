import { createApp, type App } from '@aiecs/executor';
import path from 'node:path';
import { fileToolFor } from '../../app/src/FileTool';
import { HttpFetchTool } from '../../app/src/HttpFetchTool';
import { StatsTool } from '../../app/src/StatsTool';

/** The example app's three tools in one app; the file tool is confined to `root`. Logs go nowhere (stdout is the protocol). */
export function createServerApp(root: string): App {
  return createApp({ tools: [fileToolFor(path.resolve(root)), HttpFetchTool, StatsTool], config: { logLevel: 'silent' } });
}
