/**
 * Chinese and Japanese words. They are written without spaces, so a sentence is one run of characters; the
 * tokenizer scenario looks for 配置 (2 characters) and 服务器 (3) inside such runs.
 */
const words = (text: string): readonly string[] => text.split(/\s+/).filter(Boolean)

export const CHINESE_WORDS = words(`的 了 是 在 我 有 和 就 不 人 都 一 这 上 也 很 到 说 要 去 你 会 着 没有
看 好 自己 这个 我们 可以 需要 如果 因为 所以 但是 然后 已经 现在 问题 文件 函数 错误 数据 服务器
请求 数据库 表格 参数 内存 安全 目录 创建 修改 删除 检查 执行 部署 测试 修复 改进 结果 响应 方法
类 变量 字符串 数组 循环 条件 事件 元素 依赖 库 配置 开发 环境 用户 密码 连接 窗口 屏幕 键 值
默认 系统 网络 延迟 超时 步骤 模型 索引 搜索 访问 权限 备份 恢复 日志 版本 分支 合并 冲突 审查
注释 文档 例子 情况 集成 性能 缓存 队列 线程 进程 接口 组件 页面 路由 客户端 编译 打包 插件`)

export const JAPANESE_WORDS = words(`の に は を た が で て と し れ さ ある いる も する から な こと として
い や など なっ ない この ため その あっ よう また もの という あり まで られ なる へ か だ これ
です ます ください ました でしょう 問題 ファイル 関数 エラー データ サーバー リクエスト データベース
テーブル パラメータ メモリ セキュリティ ディレクトリ 作成 変更 削除 確認 実行 デプロイ テスト 修正
改善 結果 レスポンス メソッド クラス 変数 文字列 配列 ループ 条件 イベント 要素 依存関係
ライブラリ 設定 開発 環境 ユーザー パスワード 接続 ウィンドウ 画面 キー 値 デフォルト システム
ネットワーク 遅延 タイムアウト 手順 モデル インデックス 検索 アクセス 権限 バックアップ 復元 ログ
バージョン ブランチ マージ 競合 レビュー コメント ドキュメント 例 場合 統合 性能 キャッシュ`)
