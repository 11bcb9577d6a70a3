/**
 * Starts the interactive REPL on the process's terminal. Loaded only in interactive mode, so
 * that scripts and `-e` never load Ink and React.
 */
import { render } from 'ink';
import { App } from './App.js';
import { banner } from './cli.js';
import { History, historyFile } from './history.js';
import type { Session } from './session.js';

/** Runs the REPL on `session` until the user leaves; resolves with the exit status. */
export async function runInteractive(session: Session): Promise<number> {
  const stdout = process.stdout;
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
