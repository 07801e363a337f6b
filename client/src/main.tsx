import { render } from 'preact';
import { PlaceholderPage } from './pages/placeholder-page';
import './styles.css';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');
render(<PlaceholderPage />, root);
