import { runApp } from './app';

runApp((line) => console.log(line)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
