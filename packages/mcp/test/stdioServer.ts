/** The sample app served over stdio: the child process of the stdio test. */
import { serveStdio } from '../src';
import { createSampleApp } from '../../tool-definitions/test/sampleApp';
import { probeTools } from './probeTool';

const { app } = createSampleApp(probeTools);
serveStdio(app).then(
  (server) => {
    process.stdin.on('end', () => void server.close().then(() => app.close()));
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
