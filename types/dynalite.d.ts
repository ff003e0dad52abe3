declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    path?: string | undefined;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
  }

  /** dynalite's HTTP server; closing it closes its LevelDB store. */
  export default function dynalite(options?: DynaliteOptions): Server;
}
