// OpenCode recorder plugin, loaded beside fwguard's plugin: appends what tool.execute.before /
// after received to the JSON-lines file in $FWGUARD_E2E_RECORD. Never throws, never changes args.
import { appendFileSync } from 'node:fs';

const log = process.env.FWGUARD_E2E_RECORD;
const put = (o) => { if (log) appendFileSync(log, JSON.stringify({ t: new Date().toISOString(), payload: o }) + '\n'); };
export const FwguardE2eRecorder = async () => ({
  'tool.execute.before': async (input, output) => put({ hook_event_name: 'tool.execute.before', input, output: JSON.parse(JSON.stringify(output)) }),
  'tool.execute.after': async (input, output) => put({ hook_event_name: 'tool.execute.after', input, output: JSON.parse(JSON.stringify(output ?? null)) }),
});
