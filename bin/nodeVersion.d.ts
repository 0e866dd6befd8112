export declare const MINIMUM_NODE: string;
/** One line saying what to do, or null when this Node can run the sources. */
export declare function nodeVersionProblem(version: string): string | null;
