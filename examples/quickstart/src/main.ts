import { runQuickstart } from './quickstart';

runQuickstart((line) => console.log(line)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
