// Types of build-web.mjs for the TypeScript that calls it (test/global-setup.ts).
export declare const WEB_DIR: string;
export declare const DIST_DIR: string;
export declare function inputsHash(): string;
export declare function buildIsFresh(): boolean;
export declare function scriptGzipBytes(): number;
export declare function buildWeb(opts?: { force?: boolean; quiet?: boolean }): Promise<'built' | 'up to date'>;
