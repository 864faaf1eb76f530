/**
 * Every section of the configuration, for what runs the whole hotline in one process (`npm start`, the tools, the
 * tests). A Lambda entry names only the sections its function reads: importing this module would put every
 * section's schemas (and the domain modules they use) into its bundle.
 */
import { loadConfig, readEnvironment, type Config, type Environment } from './config';
import { escalationSection } from './escalation/config';
import { voiceSection } from './channels/voice-config';
import { quizSection } from './quiz/config';
import { outreachSection } from './outreach/config';
import { consoleSection } from './console/config';
import { studioSection } from './studio/config';

export const EVERY_SECTION = {
  escalation: escalationSection,
  voice: voiceSection,
  quiz: quizSection,
  outreach: outreachSection,
  console: consoleSection,
  studio: studioSection,
};

/** The whole configuration: the base and every section. */
export const loadWholeConfig = (env: Environment = readEnvironment()): Config => loadConfig(env, EVERY_SECTION);
