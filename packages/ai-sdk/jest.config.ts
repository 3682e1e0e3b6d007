import { projectConfig } from '../../jest.preset';

export default projectConfig('ai-sdk');
