// Routes of the worker pages (phone first); each entry is described in
// main.js. /settings is for every role.
import { matchRoutes } from './matches.js';
import { offerRoutes } from './offers.js';
import { profileRoutes } from './profile.js';
import { settingsRoutes } from './settings.js';

export const routes = [...matchRoutes, ...offerRoutes, ...profileRoutes, ...settingsRoutes];
