/**
 * The Meta platforms, one package with two namespaces (as core brings core, file and http):
 * instagram (Reels through the Instagram Graph API) and facebook (Page Reels), which share the
 * Graph API client (graph.ts).
 */
import instagram, { namespace as instagramNamespace } from './instagram/index.js';
import facebook, { namespace as facebookNamespace } from './facebook/index.js';

export default [...instagram, ...facebook];

export const namespace = [instagramNamespace, facebookNamespace];
