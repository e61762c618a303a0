import { LiveSocket, liveUrl } from './live-socket';

/** The app's one live connection; the session store starts it on login and stops it on logout. */
export const live = new LiveSocket({ url: liveUrl(window.location) });
