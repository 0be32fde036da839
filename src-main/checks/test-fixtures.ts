/** Shared by the checks tests: whether the shipped model exists, and sample texts. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { defaultModelsDir } from '../detection';

export const hasShippedModel = existsSync(path.join(defaultModelsDir(), 'detect', 'features.json'));
/** Appended to describe() titles of model-dependent suites so a skip explains itself. */
export const MODEL_SKIP_REASON = hasShippedModel
  ? ''
  : ' (skipped: no detection model in models/detect yet; run `npm run train:detect`)';

export const SAMPLE_HUMAN = `honestly i dont think school should start this early. like every morning i wake up at 6 and im so tired i cant even think in first period, my mom says go to bed earlier but i have practice till 7 and then homework so thats not really possible. last year my grades in math where really bad and i think its because math was first period. my friend jake is the same he falls asleep in class all the time and the teacher gets mad at him. if school started at 9 instead of 7:30 we would all be more awake and learn more. also the buses would not have to drive in the dark in winter which is dangerous. some people say that then school ends later and sports would be later but i think thats fine, we could still do practice. anyway thats what i think, school should start later because students need sleep and it would make everyone do better.`;

export const SAMPLE_GENERATED = `In today's rapidly evolving educational landscape, the question of whether schools should adopt later start times has garnered significant attention. Proponents argue that aligning school schedules with adolescents' natural sleep patterns can yield numerous benefits. Research consistently demonstrates that teenagers experience a biological shift in their circadian rhythms, making it challenging for them to fall asleep early. Consequently, early start times often result in chronic sleep deprivation, which can negatively impact academic performance, mental health, and overall well-being.

Furthermore, later start times have been shown to enhance students' ability to concentrate and engage meaningfully in classroom activities. By ensuring that students are well-rested, schools can foster an environment conducive to learning and personal growth. Additionally, adequate sleep plays a crucial role in emotional regulation, potentially reducing instances of anxiety and depression among students.

However, it is essential to consider the logistical challenges associated with such a change. Adjusting transportation schedules, extracurricular activities, and parental work commitments requires careful planning and collaboration. Ultimately, while the transition may present certain obstacles, the potential benefits for students' health and academic success make a compelling case for implementing later school start times.`;
