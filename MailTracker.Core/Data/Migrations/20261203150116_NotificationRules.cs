using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MailTracker.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class NotificationRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Cause",
                table: "Notifications",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "NotifyOnApplePrivacyOpen",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "NotifyOnFirstClickOnly",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "NotifyOnReopen",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<bool>(
                name: "NotifyOnReply",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<bool>(
                name: "QuietHoursEnabled",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<TimeOnly>(
                name: "QuietHoursFrom",
                table: "AspNetUsers",
                type: "TEXT",
                nullable: false,
                defaultValue: new TimeOnly(22, 0, 0));

            migrationBuilder.AddColumn<TimeOnly>(
                name: "QuietHoursUntil",
                table: "AspNetUsers",
                type: "TEXT",
                nullable: false,
                defaultValue: new TimeOnly(7, 0, 0));

            migrationBuilder.AddColumn<int>(
                name: "ReopenAfterHours",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Cause",
                table: "Notifications");

            migrationBuilder.DropColumn(
                name: "NotifyOnApplePrivacyOpen",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "NotifyOnFirstClickOnly",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "NotifyOnReopen",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "NotifyOnReply",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "QuietHoursEnabled",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "QuietHoursFrom",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "QuietHoursUntil",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "ReopenAfterHours",
                table: "AspNetUsers");
        }
    }
}
