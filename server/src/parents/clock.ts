/** What time it is for opening hours, grants, tokens and views; tests move it. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
