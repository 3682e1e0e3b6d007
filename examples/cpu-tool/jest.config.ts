import { projectConfig } from '../../jest.preset';

export default projectConfig('example-cpu-tool');
