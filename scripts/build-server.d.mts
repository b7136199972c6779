// Types of build-server.mjs for the TypeScript that calls it (test/global-setup.ts, bench).
export declare const SRC_DIR: string;
export declare const DIST_DIR: string;
export declare function inputsHash(): string;
export declare function serverBuildIsFresh(hash?: string): boolean;
export declare function buildServer(opts?: { force?: boolean; ifPossible?: boolean; log?: (line: string) => void }): Promise<'built' | 'up to date' | 'skipped'>;
