import { render } from 'preact';
import { takeLaunchToken } from './launch-token';
import { Launcher } from './pages/launcher';
import { PlaceholderPage } from './pages/placeholder-page';
import './styles.css';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');

// Client-side routes; the server answers both paths with index.html.
if (location.pathname === '/launch') {
  render(<Launcher token={takeLaunchToken()} />, root);
} else {
  render(<PlaceholderPage />, root);
}
