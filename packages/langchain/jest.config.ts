import { projectConfig } from '../../jest.preset';

export default projectConfig('langchain');
