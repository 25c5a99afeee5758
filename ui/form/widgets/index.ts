/** Every widget registers itself; importing this file makes them all available. */
import './text.js';
import './textarea.js';
import './number.js';
import './date.js';
import './boolean.js';
import './code-select.js';
import './code-radio.js';
import './node-picker.js';
import './readonly.js';
import './multi-choice.js';
import './file.js';
import './table.js';
