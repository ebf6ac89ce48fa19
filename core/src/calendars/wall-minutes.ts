// A calendar's wall-clock times ('HH:MM') as minutes after local midnight. Its own file, without the
// calendar data's zod schema: the web's chart boot script bundles the session calendar and not zod.

/** Minutes after local midnight of 'HH:MM'. */
export function wallMinutes(text: string): number {
  const [hours, minutes] = text.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}
