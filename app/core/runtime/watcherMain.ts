// The watcher process: started by the note side with child_process.fork (`lifeboat serve`,
// `watch`, `demo`) or Electron's utilityProcess.fork (the tray app), never by hand. It waits for
// its `init`, runs every source (WatcherSide), and ends when told to stop or when the note side
// is gone. See watcherSupervisor.ts for the other end.
import { systemClock } from '../../common/clock.ts';
import { diagnostic } from '../../common/diagnostic.ts';
import { channelProblem, ToWatcherSchema } from '../../common/watcherChannel.ts';
import { parentChannel, type ParentChannel } from './parentChannel.ts';
import { lowerOwnPriority } from './processPriority.ts';
import { WatcherSide } from './watcherSide.ts';

function notStartedByLifeboat(): ParentChannel {
  process.stderr.write('lifeboat watcher: start Lifeboat itself (lifeboat watch, serve or the tray app); this process is started by it\n');
  process.exit(2);
}

const channel = parentChannel() ?? notStartedByLifeboat();
try {
  lowerOwnPriority();
} catch {
  // Not allowed here (some containers and sandboxes): the watcher runs at normal priority.
}

let side: WatcherSide | null = null;
let stopping: Promise<void> | null = null;

const firstLine = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message.split('\n')[0]}` : String(err)).slice(0, 300);

function stopAndExit(code: number): Promise<void> {
  stopping ??= (async () => {
    try {
      await side?.stop();
    } catch (err) {
      channel.send({ type: 'diagnostic', diagnostic: diagnostic('watcher', 'watcher-failed', `stopping: ${firstLine(err)}`) });
    }
    channel.send({ type: 'stopped' });
    // Give the channel a moment to deliver 'stopped', then go even if a source left a handle open.
    setTimeout(() => process.exit(code), 200);
  })();
  return stopping;
}

channel.onMessage((raw) => {
  const parsed = ToWatcherSchema.safeParse(raw);
  if (!parsed.success) {
    channel.send({ type: 'diagnostic', diagnostic: diagnostic('watcher', 'watcher-message-ignored', `a message from the note side was ignored: ${channelProblem(parsed.error)}`) });
    return;
  }
  const message = parsed.data;
  if (message.type === 'init') {
    if (side) return;
    try {
      side = new WatcherSide({ init: message.init, send: (m) => channel.send(m), clock: systemClock });
    } catch (err) {
      channel.send({ type: 'diagnostic', diagnostic: diagnostic('watcher', 'watcher-failed', `cannot start: ${firstLine(err)}`) });
      void stopAndExit(3);
      return;
    }
    side.start().catch((err: unknown) => {
      channel.send({ type: 'diagnostic', diagnostic: diagnostic('watcher', 'watcher-failed', `start failed: ${firstLine(err)}`) });
      void stopAndExit(3);
    });
    return;
  }
  if (message.type === 'stop') {
    void stopAndExit(0);
    return;
  }
  side?.handle(message);
});
channel.onDisconnect(() => void stopAndExit(0));

// A bug in a source must not leave a half-dead watcher: say what it was and exit, and the note
// side starts a fresh one.
process.on('uncaughtException', (err) => {
  channel.send({ type: 'diagnostic', diagnostic: diagnostic('watcher', 'watcher-failed', `stopped by an unexpected error: ${firstLine(err)}`) });
  setTimeout(() => process.exit(70), 100);
});
process.on('unhandledRejection', (err) => {
  channel.send({ type: 'diagnostic', diagnostic: diagnostic('watcher', 'watcher-failed', `unexpected error: ${firstLine(err)}`) });
});
