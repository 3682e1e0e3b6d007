import { projectConfig } from '../../jest.preset';

export default projectConfig('mcp');
