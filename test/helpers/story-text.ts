/**
 * One TinyStories-like English text (about 170 words) for the LM-assisted tests: long enough that the
 * shipped detector does not abstain (≥ 80 words), in the register stories260K was trained on.
 */
export const STORY =
  'Once upon a time, there was a little girl named Lily. She loved to play outside in the park with her friends. ' +
  'One day, she saw a big red ball under a tree. She wanted to play with it, so she ran to get it. ' +
  'Her mom said, "Be careful, Lily!" Lily smiled and said, "I will, Mom." She kicked the ball and it went very high. ' +
  'Her friend Tom ran to get it. They played all day and had lots of fun. When the sun went down, ' +
  'they went home. Lily was happy and tired. She said good night to her mom and went to sleep. ' +
  'The next morning, Lily woke up early and looked out of the window to see if the ball was still there. ' +
  'It was gone! She felt sad and went to find her mom. Her mom hugged her and said that Tom had taken it home ' +
  'to keep it safe. Lily ran to his house, and they played with the ball again until it was time for lunch.';
