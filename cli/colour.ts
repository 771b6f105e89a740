import pc from "picocolors";

/**
 * Terminal colours for human-readable output: on only when stdout is a
 * terminal and NO_COLOR is unset. picocolors alone also turns colour on
 * whenever CI is set, which puts escape codes into piped output.
 */
export const colour = pc.createColors(process.stdout.isTTY === true && process.env.NO_COLOR === undefined);
