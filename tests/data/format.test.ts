import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bitmapAt, classByLabel, decodeDataset, encodeDataset, imageAt, splitIndices, tagsOf, type DatasetItem, type DatasetSource } from '../../sdk/data/index.js'
import { openDatasetStream, readDataset, writeFileAtomic } from '../../sdk/data/node.js'
import { LatentypeError } from '../../sdk/errors.js'

const size = 8
const source = (id: number, name: string, split: 'train' | 'val' | 'test'): DatasetSource => ({ id, name, group: name, title: name, license: 'MIT', licenseUrl: '', author: 'a', url: '', split, tags: ['serif'] })
const spec = { kind: 'test', size, classes: [{ id: 0, label: 'settings', synonyms: ['cog', 'gear'] }, { id: 1, label: 'heart', synonyms: [] }], sources: [source(0, 'a', 'train'), source(1, 'b', 'val'), source(2, 'c', 'test')] }
const items: DatasetItem[] = Array.from({ length: 6 }, (_, i) => ({ classId: i % 2, sourceId: i % 3, name: `item${i}`, tags: i % 2 ? ['filled'] : ['outline'], pixels: new Uint8Array(size * size).fill(i * 40) }))

describe('dataset format', () => {
  it('round-trips items, classes, sources, splits and tags; encoding is deterministic', () => {
    const bytes = encodeDataset(spec, items)
    expect(encodeDataset(spec, items)).toEqual(bytes)
    const ds = decodeDataset(bytes)
    expect(ds.count).toBe(6)
    expect(imageAt(ds, 3)[0]).toBe(120)
    expect(bitmapAt(ds, 3).data[0]).toBeCloseTo(120 / 255)
    expect([...splitIndices(ds, 'val')]).toEqual([1, 4])
    expect(tagsOf(ds, 1)).toEqual(['filled', 'serif'])
    expect(classByLabel(ds, 'gear').label).toBe('settings')
    expect(() => classByLabel(ds, 'hart')).toThrow(/did you mean "heart"/)
  })

  it('rejects truncated or foreign files with BAD_DATASET', () => {
    const bytes = encodeDataset(spec, items)
    expect(() => decodeDataset(bytes.subarray(0, bytes.length - 1))).toThrow(LatentypeError)
    expect(() => decodeDataset(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]))).toThrow(/LTDS/)
    expect(() => encodeDataset(spec, [{ ...items[0]!, pixels: new Uint8Array(3) }])).toThrow(/fit it/)
  })

  it('writes atomically and reads back in memory and streaming', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ltds-'))
    const path = join(dir, 'x.ltds')
    await writeFileAtomic(path, encodeDataset(spec, items))
    const ds = await readDataset(path)
    expect(ds.names).toEqual(items.map((i) => i.name))
    const s = await openDatasetStream(path)
    expect([...(await s.readImages(2, 2)).subarray(size * size, size * size + 2)]).toEqual([120, 120])
    expect(s.classIds[5]).toBe(1)
    await s.close()
    writeFileSync(path, readFileSync(path).subarray(0, 50))
    await expect(readDataset(path)).rejects.toMatchObject({ code: 'BAD_DATASET' })
    await expect(readDataset(join(dir, 'missing.ltds'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' })
  })
})
