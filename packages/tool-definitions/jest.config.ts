import { projectConfig } from '../../jest.preset';

export default projectConfig('tool-definitions');
