import { render } from 'preact';
import { setLocale } from './i18n';
import { keepReloadToken, takeLaunchToken, takeReloadToken } from './launch-token';
import { Launcher } from './pages/launcher';
import { PlaceholderPage } from './pages/placeholder-page';
import './styles.css';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');
const app: HTMLElement = root;

async function start(): Promise<void> {
  // LiveKit Egress's Chromium records the class from its own page (livekit-client, loaded only there).
  if (location.pathname === '/recorder') {
    const { RecorderPage } = await import('./recorder/recorder-page');
    render(<RecorderPage />, app);
    return;
  }
  // Client-side routes; the server answers both paths with index.html. The token leaves the address bar
  // before anything is awaited.
  const launch = location.pathname === '/launch';
  const fresh = launch ? takeLaunchToken() : undefined;
  // No token in the address: a reload of the frame, which its reload token (if any) brings back.
  const token = launch ? (fresh ?? (await takeReloadToken())) : undefined;
  if (token) keepReloadToken(token);
  // The browser's language until a launch says otherwise (the launcher switches once /api/me answers).
  await setLocale(navigator.language).catch(() => setLocale('en'));
  render(launch ? <Launcher token={token} /> : <PlaceholderPage />, app);
}

void start();
