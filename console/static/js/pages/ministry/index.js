// Routes of the ministry pages; each entry is described in main.js. The
// editor's /assignments/new comes before the assignment page's
// /assignments/:id, which would otherwise take it.
import { routes as dashboardRoutes } from './dashboard.js';
import { routes as listRoutes } from './list.js';
import { routes as editorRoutes } from './editor.js';
import { routes as poolRoutes } from './pool.js';
import { routes as assignmentRoutes } from './assignment.js';

export const routes = [...dashboardRoutes, ...listRoutes, ...editorRoutes, ...poolRoutes, ...assignmentRoutes];
