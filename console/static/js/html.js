// One place that binds htm to Preact, so that pages import html and the
// hooks from here and the vendored paths appear once.
import { h, render, Fragment } from '../vendor/preact/preact.module.js';
import htm from '../vendor/htm/htm.module.js';

export const html = htm.bind(h);
export { h, render, Fragment };
export {
  useState, useEffect, useMemo, useCallback, useRef, useReducer, useLayoutEffect,
} from '../vendor/preact/hooks.module.js';
