/** The browser application: one custom element tree, styled by one stylesheet. */
import './styles/base.css';
import './styles/layout.css';
import './styles/form.css';
import './styles/table.css';
import './components/app-shell.js';
