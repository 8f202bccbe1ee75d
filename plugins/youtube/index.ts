/** The youtube namespace: its plugins, for the registry. */
import upload from './upload.js';

export default [upload];
