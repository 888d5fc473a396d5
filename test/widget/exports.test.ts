import { expect, test } from 'vitest'
import * as widget from '../../src/widget/index.js'

test('the public names of `pollen/widget` are exactly these', () => {
  expect(Object.keys(widget).sort()).toEqual(['Feedback', 'defineFeedbackElement', 'mountFeedback'])
})
