using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MailTracker.Core.Data.Migrations
{
    /// <summary>
    /// Full-text search for the Mail tab on SQLite: an FTS5 index with the trigram tokenizer over
    /// <c>MessageBodies.SearchText</c> (so any substring of three or more characters is found by index), kept in step by
    /// triggers. See docs/decisions/0006-mail-search.md.
    /// </summary>
    public partial class MessageSearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            if (ActiveProvider != "Microsoft.EntityFrameworkCore.Sqlite")
            {
                return;
            }

            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "MessageSearch" USING fts5("SearchText", content='MessageBodies', content_rowid='Id', tokenize='trigram');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "MessageBodies_Search_Insert" AFTER INSERT ON "MessageBodies" BEGIN
                    INSERT INTO "MessageSearch"(rowid, "SearchText") VALUES (new."Id", new."SearchText");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "MessageBodies_Search_Delete" AFTER DELETE ON "MessageBodies" BEGIN
                    INSERT INTO "MessageSearch"("MessageSearch", rowid, "SearchText") VALUES ('delete', old."Id", old."SearchText");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "MessageBodies_Search_Update" AFTER UPDATE OF "SearchText" ON "MessageBodies" BEGIN
                    INSERT INTO "MessageSearch"("MessageSearch", rowid, "SearchText") VALUES ('delete', old."Id", old."SearchText");
                    INSERT INTO "MessageSearch"(rowid, "SearchText") VALUES (new."Id", new."SearchText");
                END;
                """);
            migrationBuilder.Sql("""INSERT INTO "MessageSearch"("MessageSearch") VALUES ('rebuild');""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            if (ActiveProvider != "Microsoft.EntityFrameworkCore.Sqlite")
            {
                return;
            }

            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "MessageBodies_Search_Insert";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "MessageBodies_Search_Delete";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "MessageBodies_Search_Update";""");
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "MessageSearch";""");
        }
    }
}
