// Produces Confluent wire-format reference bytes with Confluent's own JavaScript serializer
// (@confluentinc/schemaregistry, in-memory mock registry) for the Java interop test
// (src/test/resources/interop/vectors.json). Run: npm ci && node generate.js
//
// Each vector: subject (TopicNameStrategy: <topic>-key or <topic>-value), isKey, the schema as registered (named
// types inlined), the id the registry gave it, the value as plain JSON (unions unwrapped, enums as symbols, longs
// as decimal strings so extremes survive JSON, doubles as JSON numbers) and the serialized bytes in hex. Schemas
// are registered in vector order, one subject each, so a fresh registry that registers them in the same order
// hands out the same ids.

'use strict';

const fs = require('fs');
const path = require('path');
const avro = require('avsc');
const { SchemaRegistryClient } = require('@confluentinc/schemaregistry');
const { AvroSerializer, AvroDeserializer } = require('@confluentinc/schemaregistry/dist/serde/avro');
const { SerdeType } = require('@confluentinc/schemaregistry/dist/serde/serde');

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'src', 'test', 'resources', 'interop', 'vectors.json');
const PKG = require('@confluentinc/schemaregistry/package.json');

// Longs as BigInt so Long.MIN_VALUE / MAX_VALUE are exact (avsc's default long is a JS number).
const LongType = avro.types.LongType.__with({
  fromBuffer: (buf) => buf.readBigInt64LE(),
  toBuffer: (n) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(n);
    return buf;
  },
  fromJSON: BigInt,
  toJSON: Number,
  isValid: (n) => typeof n === 'bigint',
  compare: (a, b) => (a === b ? 0 : a < b ? -1 : 1),
});
// Every long, including {"type": "long", "logicalType": ...}, which avsc builds without consulting the registry.
const avscOptions = () => ({
  registry: { long: LongType },
  typeHook: (schema) => (schema === 'long' || (schema && schema.type === 'long') ? LongType : undefined),
});

function loadSchemas() {
  const byName = new Map();
  for (const dir of fs.readdirSync(path.join(ROOT, 'schemas'))) {
    for (const file of fs.readdirSync(path.join(ROOT, 'schemas', dir))) {
      if (file.endsWith('.avsc')) {
        const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', dir, file), 'utf8'));
        byName.set(`${schema.namespace}.${schema.name}`, schema);
      }
    }
  }
  return byName;
}

// One self-contained schema: each named type referenced from another file is inlined at its first use,
// exactly as Avro's Java Schema#toString() writes a SpecificRecord's schema.
function inline(root, byName) {
  const defined = new Set();
  const walk = (type) => {
    if (typeof type === 'string') {
      if (byName.has(type) && !defined.has(type)) {
        return walk(JSON.parse(JSON.stringify(byName.get(type))));
      }
      return type;
    }
    if (Array.isArray(type)) {
      return type.map(walk);
    }
    if (type.type === 'record' || type.type === 'enum' || type.type === 'fixed') {
      defined.add(`${type.namespace}.${type.name}`);
    }
    if (type.type === 'record') {
      return { ...type, fields: type.fields.map((f) => ({ ...f, type: walk(f.type) })) };
    }
    if (type.type === 'array') {
      return { ...type, items: walk(type.items) };
    }
    if (type.type === 'map') {
      return { ...type, values: walk(type.values) };
    }
    return type;
  };
  return walk(JSON.parse(JSON.stringify(root)));
}

// JSON for the vector file: BigInt → decimal string.
function plain(value) {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
}

const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;
const T0 = 1700000000123456n; // 2023-11-14T22:13:20.123456Z in microseconds

const unicode = 'Grüße, 世界! 🚀 Ωmega — naïve café — עברית — 👩‍💻';

const vectors = [
  {
    name: 'AlephMessage inline with unicode content',
    topic: 'aleph.messages.v1',
    schema: 'aleph.pipeline.avro.message.AlephMessage',
    value: {
      itemHash: 'a'.repeat(64),
      type: 'POST',
      chain: 'ETH',
      sender: '0x4D52380D3191274a04846c89c069E6C3F2Ed94e4',
      signature: '0xdeadbeef',
      channel: 'aleph-scoring',
      time: T0,
      itemType: 'INLINE',
      itemContent: JSON.stringify({ address: '0xabc', type: 'aleph-network-metrics', content: { note: unicode } }),
      content: null,
      size: 1234n,
    },
  },
  {
    name: 'AlephMessage API-shaped with nulls and empty strings',
    topic: 'aleph.messages.v1',
    schema: 'aleph.pipeline.avro.message.AlephMessage',
    value: {
      itemHash: 'QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG',
      type: 'V_PROGRAM',
      chain: '',
      sender: '',
      signature: null,
      channel: null,
      time: 0n,
      itemType: null,
      itemContent: null,
      content: '{}',
      size: null,
    },
  },
  {
    name: 'AlephMessage at the long extremes',
    topic: 'aleph.messages.v1',
    schema: 'aleph.pipeline.avro.message.AlephMessage',
    value: {
      itemHash: 'b'.repeat(64),
      type: 'FORGET',
      chain: 'SOL',
      sender: 'sender',
      signature: null,
      channel: '',
      time: MIN,
      itemType: 'IPFS',
      itemContent: null,
      content: null,
      size: MAX,
    },
  },
  {
    name: 'CrnMetric with doubles at the edges',
    topic: 'aleph.node-metrics.crn.v1',
    schema: 'aleph.pipeline.avro.metrics.CrnMetric',
    value: {
      itemHash: 'c'.repeat(64),
      nodeId: 'node-Ω-1',
      measuredAt: T0,
      baseLatency: 0.1,
      baseLatencyIpv4: 1.7976931348623157e308,
      fullCheckLatency: 5e-324,
      diagnosticVmLatency: null,
      messageTime: T0 + 1n,
      sender: '0xsender',
      channel: null,
      owner: '0xowner',
    },
  },
  {
    name: 'CcnMetric with int extremes',
    topic: 'aleph.node-metrics.ccn.v1',
    schema: 'aleph.pipeline.avro.metrics.CcnMetric',
    value: {
      itemHash: 'd'.repeat(64),
      nodeId: '4242',
      measuredAt: MAX,
      baseLatency: -2.5,
      baseLatencyIpv4: null,
      metricsLatency: 123456.789,
      aggregateLatency: 0,
      fileDownloadLatency: null,
      pendingMessages: 2147483647,
      ethHeightRemaining: -2147483648,
      messageTime: MIN,
      sender: unicode,
      channel: 'aleph-scoring',
      owner: '',
    },
  },
  {
    name: 'AcceptedMessage',
    topic: 'aleph.messages.accepted.v1',
    schema: 'aleph.pipeline.avro.message.AcceptedMessage',
    value: {
      itemHash: 'e'.repeat(64),
      type: 'POST',
      chain: 'ETH',
      sender: '0xsender',
      channel: 'ALEPH_CREDIT',
      time: T0,
      owner: '0xowner',
      contentType: 'aleph_credit_distribution',
      content: JSON.stringify({ distribution: [{ address: '0x1', amount: 10 }], memo: unicode }),
      size: 0n,
      kind: 'CREDIT',
    },
  },
  {
    name: 'CreditBalance with buckets',
    topic: 'aleph.credit.balances.v1',
    schema: 'aleph.pipeline.avro.credit.CreditBalance',
    value: {
      address: '0x2E4454fAD1906c0Ce6e45cBFA05cE898Ac3AC1dC',
      total: MAX,
      buckets: [
        { expiration: null, amount: 1n },
        { expiration: T0, amount: MAX - 1n },
      ],
      asOf: T0,
      cause: 'TRANSFER_IN',
      causeRef: null,
    },
  },
  {
    name: 'CreditHistoryEntry spending',
    topic: 'aleph.credit.history.v1',
    schema: 'aleph.pipeline.avro.credit.CreditHistoryEntry',
    value: {
      address: '0xabc',
      amount: MIN,
      price: '0.000001',
      bonusAmount: null,
      txHash: 'node-1',
      token: null,
      chain: null,
      provider: 'ALEPH',
      origin: 'exec-42',
      originRef: 'ref',
      paymentMethod: 'credit_expense',
      expenseCount: 3n,
      expenseSizeMib: '1.5',
      creditRef: 'f'.repeat(64),
      creditIndex: 0,
      expirationDate: null,
      messageTimestamp: T0,
    },
  },
  {
    name: 'CreditRejection',
    topic: 'aleph.credit.rejections.v1',
    schema: 'aleph.pipeline.avro.credit.CreditRejection',
    value: {
      reason: 'INSUFFICIENT_BALANCE',
      message: `balance too low — ${unicode}`,
      itemHash: '1'.repeat(64),
      postType: 'aleph_credit_transfer',
      address: '0xabc',
      messageTimestamp: T0,
      sourceTopic: 'aleph.messages.v1',
      sourcePartition: 7,
      sourceOffset: MAX,
    },
  },
  {
    name: 'CreditBucket as a record key',
    topic: 'interop.keyed.v1',
    key: true,
    schema: 'aleph.pipeline.avro.credit.CreditBucket',
    value: { expiration: MIN, amount: -1n },
  },
  {
    name: 'ForgottenMessage',
    topic: 'aleph.messages.forgotten.v1',
    schema: 'aleph.pipeline.avro.message.ForgottenMessage',
    value: {
      targetHash: '2'.repeat(64),
      forgetHash: '3'.repeat(64),
      forgetSender: '0xsender',
      forgetOwner: '0xowner',
      forgottenAt: T0,
      reason: '',
    },
  },
];

async function main() {
  const byName = loadSchemas();
  const client = SchemaRegistryClient.newClient({ baseURLs: ['mock://interop'] });
  const ids = new Map();
  const out = [];
  for (const v of vectors) {
    const serdeType = v.key ? SerdeType.KEY : SerdeType.VALUE;
    const subject = `${v.topic}-${v.key ? 'key' : 'value'}`;
    const schemaText = JSON.stringify(inline(byName.get(v.schema), byName));
    if (!ids.has(subject)) {
      ids.set(subject, await client.register(subject, { schemaType: 'AVRO', schema: schemaText }));
    }
    // A fresh avsc registry per serializer: named types may only be defined once per registry.
    const serializer = new AvroSerializer(client, serdeType, {
      useLatestVersion: true,
      autoRegisterSchemas: false,
      ...avscOptions(),
    });
    const bytes = await serializer.serialize(v.topic, v.value);
    const deserializer = new AvroDeserializer(client, serdeType, avscOptions());
    const back = await deserializer.deserialize(v.topic, bytes);
    if (JSON.stringify(plain(back)) !== JSON.stringify(plain(v.value))) {
      throw new Error(`${v.name}: Confluent's deserializer did not round-trip the value`);
    }
    out.push({
      name: v.name,
      topic: v.topic,
      subject,
      isKey: Boolean(v.key),
      schemaId: bytes.readInt32BE(1),
      schema: schemaText,
      value: plain(v.value),
      hex: bytes.toString('hex'),
    });
  }
  const file = {
    generator: `tools/interop-vectors/generate.js with ${PKG.name} ${PKG.version} (in-memory mock registry)`,
    note: 'value: unions unwrapped, enums as symbols, longs as decimal strings, timestamps as epoch microseconds',
    vectors: out,
  };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, `${JSON.stringify(file, null, 2)}\n`);
  console.log(`wrote ${out.length} vectors to ${path.relative(ROOT, OUT)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
