/** Worker entry: exposes the one {@link LatentypeWorker} object over comlink. Built as a classic IIFE script. */
import { expose } from 'comlink'
import { LatentypeWorker } from './api.js'

expose(new LatentypeWorker())
