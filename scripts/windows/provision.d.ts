export declare const WINDOWS_NODE_VERSION: string;
export declare const WINE64: string;
export declare const WINESERVER: string;
export interface WindowsPaths {
  tools: string;
  node: string;
  prefix: string;
  stdio: string;
  client: string;
  cli: string;
}
export declare function windowsToolsDir(root?: string): string;
export declare function wineEnv(root?: string, env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv & { WINEPREFIX: string; WINEDEBUG: string; WINEDLLOVERRIDES: string };
export declare function windowsPath(linuxPath: string): string;
export declare function preparePrefix(prefix: string, env?: NodeJS.ProcessEnv): void;
export declare function ensureCliBuilt(options?: { force?: boolean }): Promise<void>;
export declare function provisionWindows(options?: { prefix?: boolean; rebuildCli?: boolean }): Promise<WindowsPaths>;
