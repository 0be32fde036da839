/**
 * Varied fixed texts for the feature-vector snapshot (features.test.ts): every style feature has
 * at least one text where it is non-zero, so a shifted or mis-computed column shows.
 */
const HUMAN = `honestly i dont think school should start this early. like every morning i wake up at 6 and im so tired i cant even think in first period, my mom says go to bed earlier but i have practice till 7 and then homework so thats not really possible. last year my grades in math where really bad and i think its because math was first period. my friend jake is the same he falls asleep in class all the time and the teacher gets mad at him.  if school started at 9 instead of 7:30 we would all be more awake and learn more . also the buses would not have to drive in the dark in winter which is dangerous. some people say that then school ends later and sports would be later but i think thats fine, we could still do practice. anyway thats what i think, school should start later because students need sleep and it would make everyone do better.`;

const GENERATED = `In today's rapidly evolving educational landscape, the question of whether schools should adopt later start times has garnered significant attention. Proponents argue that aligning school schedules with adolescents' natural sleep patterns can yield numerous benefits. Research consistently demonstrates that teenagers experience a biological shift in their circadian rhythms, making it challenging for them to fall asleep early. Consequently, early start times often result in chronic sleep deprivation, which can negatively impact academic performance, mental health, and overall well-being.

Furthermore, later start times have been shown to enhance students' ability to concentrate and engage meaningfully in classroom activities. By ensuring that students are well-rested, schools can foster an environment conducive to learning and personal growth. Additionally, adequate sleep plays a crucial role in emotional regulation — potentially reducing instances of anxiety and depression among students.

However, it is essential to consider the logistical challenges associated with such a change. Adjusting transportation schedules, extracurricular activities, and parental work commitments requires careful planning and collaboration. Ultimately, while the transition may present certain obstacles, the potential benefits for students' health and academic success make a compelling case for implementing later school start times.`;

const PUNCTUATED = `"Wait!" she said; "are you sure?" He wasn't. The NASA report (dated 1969–1972) listed 42 items: fuel, food, and -- oddly -- 3 pianos. Why? Nobody knew! I'd have asked, you'd have asked, we'll all ask... It's the USA's problem now; they've got 1,000 reasons. Don't you think so? I'm not sure I do — but I'll try.

Really, it's fine. We're fine. They're fine: the end.`;

const LIST = `Shopping list for the week

- eggs, milk, bread
- 2 kg apples
- coffee (the strong one)

Things to do: call the bank; fix the bike; email Sam about the trip on 12/04.
TODO TODO TODO`;

const SHIFT = `My dog is called Rex and he is really old now. He sleeps all day and he doesnt like the rain, when it rains he just looks at me like its my fault. We got him when i was six and he was tiny, he fit in my moms shoe. I think he knows more than he lets on honestly. Anyway thats my dog and i love him a lot even if he smells a bit.

Moreover, the relationship between humans and canine companions represents a multifaceted phenomenon that has evolved over millennia. Domesticated dogs provide invaluable emotional support, fostering resilience and enhancing overall well-being. Furthermore, research underscores the profound impact of pet ownership on cardiovascular health, highlighting the pivotal role these animals play in contemporary society. Ultimately, this bond showcases a remarkable tapestry of mutual benefit.`;

const CJK =
  '我们今天去公园散步，天气很好。然后我们吃了午饭，下午回家休息。This part is English though, and it is short.';

const TINY = 'Hi.';

// Repeated bigrams, many short paragraphs, digits.
const REPEAT = Array.from(
  { length: 30 },
  (_, i) => `The cat sat on the mat number ${i}. The cat sat on the mat again.${i % 3 === 2 ? '\n\n' : ' '}`,
).join('');

export const FEATURE_TEXTS: Record<string, string> = {
  human: HUMAN,
  generated: GENERATED,
  punctuated: PUNCTUATED,
  list: LIST,
  shift: SHIFT,
  cjk: CJK,
  tiny: TINY,
  repeat: REPEAT,
};
