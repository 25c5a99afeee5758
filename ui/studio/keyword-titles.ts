/**
 * What the studio calls each keyword of a form's schema — a field's as its property panel labels
 * it, the form's own as its designer does. One table for the property panel and the version diff,
 * so a diff row names the checkbox or box the admin changed (the field's title, then the
 * application's essentialLabel — not the raw keyword x-essential). `essentialLabel` is the application's name for x-essential (the manifest's
 * essentialLabel); a keyword not listed reads by its own name.
 */
export function fieldKeywordTitles(essentialLabel: string | null | undefined): Record<string, string> {
  return {
    title: '标题',
    description: '说明',
    type: '类型',
    'x-codeTable': '代码表',
    'x-essential': essentialLabel || '必采项',
    'x-readOnly': '只读',
    'x-notFuture': '不晚于今天',
    'x-dateBands': '统计分段（年龄 / 距今年数）',
    format: '格式',
    pattern: '正则表达式',
    'x-messages': '不符时提示',
    minLength: '最少字数',
    maxLength: '最多字数',
    minItems: '最少行数',
    maxItems: '最多行数',
    minimum: '最小值',
    maximum: '最大值',
    'x-widget': '控件',
    'x-group': '分组',
    'x-order': '显示顺序',
    'x-transform': '输入转换',
    'x-allowControlChars': '允许控制字符',
    'x-uniqueBy': '不可重复的列',
    'x-rules': '规则',
    items: '子表的列',
    enum: '可选值',
  };
}

/** The form's own keywords (the schema's root), as the designer shows them. */
export const formKeywordTitles: Record<string, string> = {
  title: '表单标题',
  required: '必填字段',
  allOf: '条件规则',
  'x-rules': '规则',
};
