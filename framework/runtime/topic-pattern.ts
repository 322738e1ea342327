/**
 * MQTT topic filters: `+` matches exactly one level and `#`, as the last level, matches the
 * parent level and everything below it (MQTT 3.1.1, section 4.7.1).
 */

/** Returns whether `topic` matches the MQTT topic filter `pattern`. */
export function topicMatches(pattern: string, topic: string): boolean {
  const filterLevels = pattern.split("/");
  const topicLevels = topic.split("/");
  for (let i = 0; i < filterLevels.length; i++) {
    const level = filterLevels[i];
    if (level === "#") return i === filterLevels.length - 1;
    if (i >= topicLevels.length) return false;
    if (level !== "+" && level !== topicLevels[i]) return false;
  }
  return filterLevels.length === topicLevels.length;
}
