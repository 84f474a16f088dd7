// The real copilot client (version pinned in clients.json) with fwguard as its guard: see scenarios.ts.
import { agentSuite } from './scenarios.js';

agentSuite('copilot');
