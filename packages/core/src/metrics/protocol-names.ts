/** The ways of meeting a new speaker (tfjs-free, for reports and the page's main thread); see speaker-protocols.ts. */
export const MEETING_PROTOCOLS = ["one-clip", "enrolled", "skewed"] as const;
export type MeetingProtocol = (typeof MEETING_PROTOCOLS)[number];

export const PROTOCOL_TEXT: Record<MeetingProtocol, string> = {
  "one-clip": "one clip: each clip alone, nothing else known of the speaker",
  enrolled: "enrolled: all of the speaker's clips given together",
  skewed: "skewed enrolment: statistics from the speaker's neutral and calm clips plus one clip of four other emotions",
};

/** One row per protocol, one clip first: name, what it means, UAR and accuracy (reports and the page). */
export function protocolRows(p: Record<MeetingProtocol, { uar: number; accuracy: number }>): { name: string; description: string; uar: number; accuracy: number }[] {
  return MEETING_PROTOCOLS.map((k) => {
    const [name, description] = PROTOCOL_TEXT[k].split(": ") as [string, string];
    return { name, description, uar: p[k].uar, accuracy: p[k].accuracy };
  });
}
