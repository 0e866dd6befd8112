// Which Node can run Lifeboat from its TypeScript sources (type stripping arrived in Node 24.11's
// line as stable). Plain JavaScript so that an older Node can load it and say what to do.
export const MINIMUM_NODE = '24.11.0';

/** One line saying what to do, or null when this Node can run the sources. */
export function nodeVersionProblem(version) {
  const [major, minor] = version.split('.').map(Number);
  if (major > 24 || (major === 24 && minor >= 11)) return null;
  return `this is Node ${version} and Lifeboat needs Node ${MINIMUM_NODE} or newer; run \`eval "$(./nodew env)"\` in the Lifeboat folder first, or use \`./nodew run lifeboat -- <arguments>\``;
}
