import { del, get, set } from 'idb-keyval';
import type { RecoveryCopy, RecoveryPort } from '@/lib/editor/autosave';

/** The recovery copy in the browser's IndexedDB: it outlives a failed save, a crash and a closed tab. */
export const idbRecovery: RecoveryPort = {
  write: (flowId, copy) => set(`dfd:recovery:${flowId}`, copy),
  read: (flowId) => get<RecoveryCopy>(`dfd:recovery:${flowId}`),
  clear: (flowId) => del(`dfd:recovery:${flowId}`),
};
