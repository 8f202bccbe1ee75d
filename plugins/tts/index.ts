/** The tts namespace: its plugins, for the registry. */
import speak from './speak.js';

export default [speak];
