using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MailTracker.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class InsightsCoveringIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Messages_OwnerId_Folder_IsTracked_Date",
                table: "Messages");

            migrationBuilder.CreateIndex(
                name: "IX_Messages_OwnerId_Folder_IsTracked_Date",
                table: "Messages",
                columns: new[] { "OwnerId", "Folder", "IsTracked", "Date", "OpenTracking", "OpenCount", "LinkTracking", "ClickCount" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Messages_OwnerId_Folder_IsTracked_Date",
                table: "Messages");

            migrationBuilder.CreateIndex(
                name: "IX_Messages_OwnerId_Folder_IsTracked_Date",
                table: "Messages",
                columns: new[] { "OwnerId", "Folder", "IsTracked", "Date" });
        }
    }
}
