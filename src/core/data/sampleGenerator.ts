// Generator of the SYNTHETIC sample dataset (src/core/data/sample/drcdSample.json, written by scripts/makeSample.ts).
//
// DRCD format, Traditional Chinese, made-up entities. Every paragraph states four facts about one entity with a
// fixed sentence template, and every question asks for exactly the fact its answer states, with one question
// template per fact. A question names the paragraph's subject by its kind ("這座城市", "這條河", "他"), not by its
// made-up name, so what it asks follows from the answer and the paragraph alone: a model that learns the templates
// asks questions the paragraph answers with the given answer (a tiny from-scratch model cannot learn to copy random
// names in a demo's few minutes, and a question about another entity is unanswerable). For the same reason the
// month question says 節慶 (festival) rather than copying the paragraph's festival name. Deterministic: a fixed
// seed drives a seeded PRNG.
import type { DrcdArticle, DrcdDataset, DrcdParagraph, DrcdQa } from './drcd';
import { seededRandom } from './random';

export const SAMPLE_SEED = 20240607;

interface Fact {
  answer: string;
  question: string;
}
interface Entity {
  context: string;
  facts: Fact[];
}
type Rand = () => number;

const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const chars = (s: string) => Array.from(s);
const num = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

const PLACE_A = chars('安平東西南北新興永福清長嘉華寧明豐和泰德雲嶺鳳蘭');
const PLACE_B = chars('山水港林原川陽溪湖田岡州');
const SURNAME = chars('陳林黃張李王吳劉蔡楊許鄭謝郭洪曾周');
const GIVEN = chars('志明俊宏淑芬建國美玲家豪雅婷文華冠宇怡君承恩');
const REGION = ['台灣北部', '台灣南部', '中部山區', '西部平原', '東部海岸', '島嶼北端', '河谷盆地', '南方半島'];
const SPECIALTY = ['茶葉', '陶瓷', '溫泉', '稻米', '水果', '海鮮', '木雕', '紙傘', '花卉', '竹編'];
const FESTIVAL = ['燈會', '花季', '音樂節', '龍舟賽', '美食節', '風箏節'];
const MONTH = ['一月', '二月', '三月', '四月', '五月', '六月', '七月', '八月', '九月', '十月', '十一月', '十二月'];
const JOB = ['畫家', '詩人', '音樂家', '建築師', '小說家', '科學家', '導演', '攝影師'];
const WORK_A = ['春日', '遠方', '故鄉', '秋夜', '山城', '海岸', '晨光', '星空'];
const WORK_B = ['之歌', '小記', '物語', '的河', '紀事', '之夢'];
const RIVER_END = chars('河江溪');
const SEA = ['東海', '南海', '北灣', '西灣', '大洋', '內海'];
const COMPANY_KIND = ['科技', '電子', '食品', '紡織', '機械', '化工'];
const PRODUCT = ['手機', '晶片', '醬油', '餅乾', '布料', '球鞋', '相機', '腳踏車', '螺絲'];
const ANIMAL = [
  { end: '鳥', kind: '鳥類' },
  { end: '鹿', kind: '哺乳類' },
  { end: '魚', kind: '魚類' },
  { end: '龜', kind: '爬行類' },
  { end: '蛙', kind: '兩棲類' },
];
const HABITAT = ['高山森林', '熱帶雨林', '沿海濕地', '深海', '草原', '沙漠', '溪流'];
const FOOD = ['昆蟲', '果實', '小魚', '樹葉', '嫩草', '海藻', '種子'];

function placeName(r: Rand): string {
  return pick(r, PLACE_A) + pick(r, PLACE_B);
}

function city(r: Rand, name: string): Entity {
  const c = name + '市';
  const region = pick(r, REGION);
  const pop = `${num(r, 3, 280)}萬人`;
  const spec = pick(r, SPECIALTY);
  const fest = pick(r, FESTIVAL);
  const month = pick(r, MONTH);
  return {
    context: `${c}位於${region}，人口約${pop}。當地以${spec}聞名，每年${month}都會舉辦${fest}。`,
    facts: [
      { answer: region, question: '這座城市位於哪裡？' },
      { answer: pop, question: '這座城市的人口約有多少？' },
      { answer: spec, question: '這座城市以什麼聞名？' },
      { answer: month, question: '這座城市每年什麼時候舉辦節慶？' },
    ],
  };
}

function person(r: Rand, name: string): Entity {
  const year = `${num(r, 1850, 1990)}年`;
  const job = pick(r, JOB);
  const work = pick(r, WORK_A) + pick(r, WORK_B);
  const home = placeName(r) + '市';
  return {
    context: `${name}出生於${year}，是一位${job}。${name}最著名的作品是《${work}》，晚年定居在${home}。`,
    facts: [
      { answer: year, question: '他出生於哪一年？' },
      { answer: job, question: '他的職業是什麼？' },
      { answer: work, question: '他最著名的作品是什麼？' },
      { answer: home, question: '他晚年定居在哪裡？' },
    ],
  };
}

function river(r: Rand, name: string): Entity {
  const rv = name + pick(r, RIVER_END);
  const source = placeName(r) + '山';
  const len = `${num(r, 20, 900)}公里`;
  const via = placeName(r) + '市';
  const sea = pick(r, SEA);
  return {
    context: `${rv}發源於${source}，全長約${len}，流經${via}，最後注入${sea}。`,
    facts: [
      { answer: source, question: '這條河發源於哪裡？' },
      { answer: len, question: '這條河全長約多少公里？' },
      { answer: via, question: '這條河流經哪一座城市？' },
      { answer: sea, question: '這條河最後注入哪裡？' },
    ],
  };
}

function company(r: Rand, name: string): Entity {
  const co = name + pick(r, COMPANY_KIND) + '公司';
  const year = `${num(r, 1900, 2015)}年`;
  const hq = placeName(r) + '市';
  const product = pick(r, PRODUCT);
  const staff = `${num(r, 50, 9000)}人`;
  return {
    context: `${co}成立於${year}，總部設在${hq}，主要生產${product}，員工約有${staff}。`,
    facts: [
      { answer: year, question: '這家公司成立於哪一年？' },
      { answer: hq, question: '這家公司的總部設在哪裡？' },
      { answer: product, question: '這家公司主要生產什麼？' },
      { answer: staff, question: '這家公司的員工約有多少人？' },
    ],
  };
}

function animal(r: Rand, name: string): Entity {
  const a = pick(r, ANIMAL);
  const an = name + a.end;
  const habitat = pick(r, HABITAT);
  const food = pick(r, FOOD);
  const life = `${num(r, 2, 60)}年`;
  return {
    context: `${an}是一種生活在${habitat}的${a.kind}動物，主要以${food}為食，平均壽命約${life}。`,
    facts: [
      { answer: habitat, question: '這種動物生活在哪裡？' },
      { answer: a.kind, question: '這種動物屬於哪一類？' },
      { answer: food, question: '這種動物主要以什麼為食？' },
      { answer: life, question: '這種動物的平均壽命約多少年？' },
    ],
  };
}

const TOPICS: { title: string; make: (r: Rand, name: string) => Entity; name: (r: Rand) => string }[] = [
  { title: '城市', make: city, name: placeName },
  { title: '人物', make: person, name: (r) => pick(r, SURNAME) + pick(r, GIVEN) + pick(r, GIVEN) },
  { title: '河川', make: river, name: placeName },
  { title: '公司', make: company, name: placeName },
  { title: '動物', make: animal, name: (r) => pick(r, PLACE_A) + pick(r, chars('紋斑角尾頂背')) },
];

export const SAMPLE_NOTE =
  'SYNTHETIC data, not DRCD: made-up entities and facts generated by scripts/makeSample.ts ' +
  '(fixed seed) in the DRCD / SQuAD v1 format, for demos and tests. Each question asks for the fact its answer ' +
  'states, by one fixed template per fact, naming the subject by its kind (這座城市, 這條河, 他).';

/** The sample dataset: 5 articles × 16 paragraphs, 3 or 4 questions each. */
export function generateSample(seed = SAMPLE_SEED, paragraphsPerTopic = 16): DrcdDataset {
  const r = seededRandom(seed);
  const data: DrcdArticle[] = TOPICS.map((topic, ti) => {
    const used = new Set<string>();
    const paragraphs: DrcdParagraph[] = [];
    for (let pi = 0; pi < paragraphsPerTopic; pi++) {
      let name = topic.name(r);
      while (used.has(name)) name = topic.name(r);
      used.add(name);
      const e = topic.make(r, name);
      // most paragraphs ask all four facts; about one in four leaves one out
      const drop = r() < 0.25 ? Math.floor(r() * e.facts.length) : -1;
      const qas: DrcdQa[] = [];
      e.facts.forEach((f, fi) => {
        if (fi === drop) return;
        const start = e.context.indexOf(f.answer);
        if (start < 0) throw new Error(`sample template bug: ${f.answer} not in ${e.context}`);
        qas.push({
          id: `s${ti + 1}-${pi + 1}-${qas.length + 1}`,
          question: f.question,
          answers: [{ text: f.answer, answer_start: start }],
        });
      });
      paragraphs.push({ id: `s${ti + 1}-${pi + 1}`, context: e.context, qas });
    }
    return { title: topic.title, id: `s${ti + 1}`, paragraphs };
  });
  return { version: 'synthetic-3', synthetic: true, note: SAMPLE_NOTE, data };
}
