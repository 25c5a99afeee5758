/** The refusal every adapter throws; its reason's type is the port's (engine/port-types/records.ts). */
import type { WriteRefusal } from '../../ports.js';

export type { WriteRefusal };

export class RecordWriteRefused extends Error {
  constructor(readonly reason: WriteRefusal) {
    super(`record write refused: ${reason}`);
  }
}
