import type { StoryPrompt } from '../common/contract';

/**
 * Story prompts written for Palimpsest (original, CC0 like the rest of a dataset made from them),
 * in the spirit of WritingPrompts: one situation each, open enough for several authors to take turns.
 * Ids are stable: a story's `promptSource` is `builtin:<id>`.
 */
const PROMPTS: ReadonlyArray<[id: string, text: string]> = [
  [
    'lighthouse-letters',
    'The lighthouse keeper finds a letter in a bottle addressed to her, dated fifty years from now.',
  ],
  ['borrowed-shadow', 'A boy lends his shadow to a friend for one afternoon, and the friend does not bring it back.'],
  ['last-bakery', 'In a city where everyone eats grey ration bars, an old woman opens the last bakery in secret.'],
  ['map-that-moves', 'A hiker realises the paper map in her pocket redraws itself every night.'],
  ['robot-gardener', 'A retired factory robot is given a small garden and no instructions.'],
  ['quiet-train', 'Every passenger on the night train has agreed not to speak, until one of them breaks the rule.'],
  ['second-moon', 'One evening a second moon rises, smaller and closer, and it seems to be watching the town.'],
  [
    'library-after-hours',
    'The books in a village library rearrange themselves after closing to tell the librarian something.',
  ],
  ['inherited-clock', 'A girl inherits a clock that runs backwards and finds that her days do too.'],
  ['snow-in-summer', 'It snows in the middle of July, but only on one street.'],
  [
    'ferry-debt',
    'The ferryman has carried a stranger across the river every day for ten years without ever being paid.',
  ],
  ['painted-door', 'A street artist paints a door on a brick wall, and the next morning it is open.'],
  ['lost-language', 'The last speaker of a language teaches it to a parrot before she moves away.'],
  ['kite-festival', 'At the kite festival, one kite refuses to come down, and its string leads somewhere new.'],
  ['night-shift-bakers', 'Two rival bakers on the night shift discover they have been baking for the same ghost.'],
  ['wrong-postcard', 'A postcard arrives with a picture of your house, taken from a window you do not have.'],
  ['honest-mirror', 'A shop sells a mirror that shows how people will look after their next big decision.'],
  ['orchard-thief', 'Someone has been taking exactly one apple a night from the orchard, and leaving a coin.'],
  ['glass-forest', 'A scientist grows a forest of glass trees that ring like bells in the wind.'],
  ['stranded-astronaut', 'An astronaut stranded on a quiet moon starts receiving radio messages in her own voice.'],
  ['village-vote', 'The village must vote on whether to let the river go back to its old course through the square.'],
  ['forgotten-birthday', 'Nobody in the family remembers the youngest sister’s birthday, except the dog.'],
  ['underground-sea', 'Miners break through into a cavern holding a calm, sunlit sea.'],
  [
    'cartographer-island',
    'A cartographer is hired to map an island that is a little larger every time she measures it.',
  ],
  ['retired-hero', 'A retired superhero tries to live an ordinary life in a small seaside town.'],
  ['umbrella-rain', 'A shy man buys an umbrella that makes it rain only on the people he is thinking about.'],
  ['music-box-city', 'A music box plays a tune that, once heard, every person in the city starts to hum.'],
  ['ship-in-a-bottle', 'The tiny sailors on a ship in a bottle have decided it is time to leave.'],
  ['chess-with-death', 'An old chess player wins a game against a stranger and is told the prize is one more year.'],
  ['lantern-market', 'At a market that appears only at the new moon, a girl trades a memory for a lantern.'],
  ['storm-collector', 'A woman collects storms in jars and keeps them in her cellar, until the jars begin to crack.'],
  [
    'unfinished-bridge',
    'Two towns on either side of a canyon have been building a bridge toward each other for a century.',
  ],
  ['silent-choir', 'A choir that lost its voice learns to sing with lights for the winter concert.'],
  ['bus-stop-friend', 'Every morning at the bus stop an old man tells a child a story, and one day he is not there.'],
  ['clockwork-cat', 'A clockwork cat wakes up in an attic and sets out to find the inventor who wound it.'],
  ['map-of-dreams', 'A boy draws a map of the places he visits in his dreams and his sister finds one of them.'],
];

/** The built-in prompts, with `source` = `builtin:<id>`. */
export function builtinPrompts(): StoryPrompt[] {
  return PROMPTS.map(([id, text]) => ({ text, source: `builtin:${id}` }));
}
