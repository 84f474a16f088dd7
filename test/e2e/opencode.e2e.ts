// The real opencode client (version pinned in clients.json) with fwguard as its guard: see scenarios.ts.
import { agentSuite } from './scenarios.js';

agentSuite('opencode');
