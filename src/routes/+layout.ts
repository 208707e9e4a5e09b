// The app renders on the device: it must open with no network, so no server rendering.
export const ssr = false;
export const prerender = false;
