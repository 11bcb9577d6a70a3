/**
 * Starts the interactive REPL on the process's terminal. Loaded only in interactive mode, so
 * that scripts and `-e` never load Ink and React.
 */
import { render } from 'ink';
import { App } from './App.js';
import { banner } from './cli.js';
import { History, historyFile } from './history.js';
import { Session, type SessionOptions } from './session.js';

const ignoreSigint = () => {};

/** Runs the REPL until the user leaves; resolves with the exit status. */
export async function runInteractive(opts: SessionOptions): Promise<number> {
  const stdin = process.stdin;
  const stdout = process.stdout;
  const session = new Session({
    ...opts,
    width: stdout.columns || 80,
    breakOnSigint: true,
    // While TypeScript runs, leave raw mode so that Ctrl-C is a SIGINT that interrupts it.
    onLongWork: {
      start() {
        if (stdin.isTTY) {
          process.on('SIGINT', ignoreSigint);
          stdin.setRawMode(false);
        }
      },
      end() {
        if (stdin.isTTY) {
          stdin.setRawMode(true);
          process.off('SIGINT', ignoreSigint);
        }
      },
    },
  });
  const onResize = () => {
    session.width = stdout.columns || 80;
  };
  stdout.on('resize', onResize);
  const history = new History(historyFile());
  const app = render(<App session={session} history={history} banner={banner(session)} />, { exitOnCtrlC: false });
  await app.waitUntilExit();
  stdout.off('resize', onResize);
  return 0;
}
