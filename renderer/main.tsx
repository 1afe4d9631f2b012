import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectHost } from './host/index.ts';
import { App } from './ui/App.tsx';
import './ui/theme.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <App host={connectHost()} />
  </StrictMode>,
);
